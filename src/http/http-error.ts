// An error with a status and a message written for the person reading the page.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly title = 'Something is not right',
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message, 'That request was not understood');
