/**
 * The public answer page of a feedback question (`/f/<token>`, docs/customer-service.md#feedback):
 * server-rendered in the customer's language (fi/sv/en), no cookie, no login, no JavaScript. A GET
 * never records anything (link scanners follow links); the form's POST records the one answer. A
 * forged or unknown link gets 404, an expired one 410, a second answer 409, each as a page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { feedbackDeps, type App } from '../../composition-root.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import { MAX_COMMENT_CHARS, SCALES, type FeedbackRequest } from '../../core/feedback/feedback.ts';
import { answerFeedback, openFeedbackLink } from '../../use-cases/feedback/answers.ts';
import { firstValues, formFields } from '../form-body.ts';
import { FEEDBACK_TEXTS, type FeedbackTexts } from '../pages/feedback-texts.ts';
import { escapeHtml, pageBrand, pageLayout } from '../pages/html.ts';
import { pageLocale, type PageLocale } from '../pages/page-locale.ts';
import type { ZodServer } from '../zod-provider.ts';
import { PAGE_FORM_BODY_LIMIT } from './preferences.ts';

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: unknown }>;

export function feedbackPageRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  const deps = feedbackDeps(app, mailer);
  const brand = pageBrand(app.config);
  const send = (reply: FastifyReply, status: number, lang: PageLocale, title: string, body: string): FastifyReply =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(pageLayout(lang, title, `<h1>${escapeHtml(title)}</h1>${body}`, brand));

  /** The page for a refusal: an unknown link, an expired question, a second answer. */
  const refusal = (req: TokenRequest, reply: FastifyReply, err: unknown, request: FeedbackRequest | null, locale: string | null): FastifyReply => {
    if (!(err instanceof DomainError)) throw err;
    const lang = pageLocale(req, locale);
    const t = FEEDBACK_TEXTS[lang];
    if (err.code === 'FEEDBACK_LINK_INVALID') return send(reply, 404, lang, t.invalidTitle, `<p>${escapeHtml(t.invalid)}</p>`);
    if (err.code === 'FEEDBACK_LINK_EXPIRED') return send(reply, 410, lang, t.expiredTitle, `<p>${escapeHtml(t.expired)}</p>`);
    if (err.code === 'FEEDBACK_ALREADY_ANSWERED' && request !== null) return send(reply, 409, lang, t.title[request.kind], `<p>${escapeHtml(t.alreadyAnswered)}</p>`);
    throw err;
  };

  void server.register(async (pages) => {
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, firstValues(formFields(body as string))));

    pages.get('/f/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      let opened;
      try {
        opened = await openFeedbackLink(deps, req.params.token);
      } catch (err) {
        return refusal(req, reply, err, null, null);
      }
      const { request, customer, expired } = opened;
      const lang = pageLocale(req, customer?.locale ?? null);
      const t = FEEDBACK_TEXTS[lang];
      if (request.answeredAt !== null) return send(reply, 200, lang, t.title[request.kind], `<p>${escapeHtml(t.alreadyAnswered)}</p>`);
      if (expired) return send(reply, 410, lang, t.expiredTitle, `<p>${escapeHtml(t.expired)}</p>`);
      return send(reply, 200, lang, t.title[request.kind], answerForm(t, request, req.params.token, lang, null, await ticketLabel(app, request)));
    });

    pages.post('/f/:token', { schema: { hide: true }, bodyLimit: PAGE_FORM_BODY_LIMIT }, async (req: TokenRequest, reply) => {
      const form: ReadonlyMap<string, string> = req.body instanceof Map ? (req.body as Map<string, string>) : new Map();
      const scoreText = form.get('score') ?? '';
      let opened;
      try {
        opened = await openFeedbackLink(deps, req.params.token);
      } catch (err) {
        return refusal(req, reply, err, null, null);
      }
      const lang = pageLocale(req, opened.customer?.locale ?? null);
      const t = FEEDBACK_TEXTS[lang];
      const scale = SCALES[opened.request.kind];
      const score = /^\d{1,2}$/.test(scoreText) ? Number(scoreText) : NaN;
      if (!(score >= scale.min && score <= scale.max) && opened.request.answeredAt === null && !opened.expired) {
        return send(reply, 400, lang, t.title[opened.request.kind], answerForm(t, opened.request, req.params.token, lang, t.chooseScore, await ticketLabel(app, opened.request)));
      }
      try {
        await answerFeedback(deps, req.params.token, score, form.get('comment') ?? null);
      } catch (err) {
        return refusal(req, reply, err, opened.request, opened.customer?.locale ?? null);
      }
      return send(reply, 200, lang, t.thanks, `<p>${escapeHtml(t.thanksNote)}</p>`);
    });
  });
}

/** The ticket a CSAT question is about (number and subject), or null. */
async function ticketLabel(app: App, request: FeedbackRequest): Promise<string | null> {
  if (request.ticketId === null) return null;
  const ticket = await app.stores.tickets.get(request.ticketId);
  return ticket === null ? null : `#${ticket.id} ${ticket.subject}`;
}

/** The question as a form: one radio button per score in a fieldset (keyboard first), and the comment. */
function answerForm(t: FeedbackTexts, request: FeedbackRequest, token: string, lang: PageLocale, error: string | null, ticket: string | null): string {
  const scale = SCALES[request.kind];
  const options: string[] = [];
  for (let s = scale.min; s <= scale.max; s++) {
    options.push(`<label style="display:inline-block;margin-right:.75rem"><input type="radio" name="score" value="${s}" required> ${s}</label>`);
  }
  const action = `/f/${encodeURIComponent(token)}?lang=${lang}`;
  return `${ticket === null ? '' : `<p>${escapeHtml(t.about(ticket))}</p>`}
${error === null ? '' : `<p role="alert" style="color:#b00020">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>${escapeHtml(t.question[request.kind])}</legend>
<p class="note">${escapeHtml(t.low[request.kind])} · ${escapeHtml(t.high[request.kind])}</p>
${options.join('\n')}
</fieldset>
<label for="comment">${escapeHtml(t.comment)}</label>
<p class="note" id="comment-hint">${escapeHtml(t.commentHint)}</p>
<textarea id="comment" name="comment" rows="4" maxlength="${MAX_COMMENT_CHARS}" aria-describedby="comment-hint" style="width:100%;font:inherit"></textarea>
<p><button type="submit">${escapeHtml(t.send)}</button></p>
</form><p class="note">${escapeHtml(t.noMarketing)}</p>`;
}
