/** A campaign status's badge colour (shade 8–9: WCAG AA contrast on white). */
export const STATUS_COLORS: Record<'draft' | 'running' | 'paused' | 'cancelled' | 'done', string> = { draft: 'gray.8', running: 'blue.9', paused: 'orange.9', cancelled: 'gray.8', done: 'teal.9' };
