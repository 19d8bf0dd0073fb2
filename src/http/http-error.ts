// An error with a status and a message written for the person reading the page. `cause`
// (e.g. the UpstreamError behind a refused login) reaches the log line, never the page.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly title = 'Something is not right',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message, 'That request was not understood');
