// mailauth (used only by tests, to verify DKIM signatures) ships no type declarations.
declare module 'mailauth/lib/dkim/verify.js' {
  export function dkimVerify(
    message: Buffer,
    options: { resolver: (name: string, type: string) => Promise<string[][]> },
  ): Promise<{ results: { signingDomain?: string; selector?: string; algo?: string; status: { result: string; comment?: string } }[] }>;
}
