/** Why a reply's AbortController fired; the loop turns it into the message's final status. */
export class StopReason extends Error {
  constructor(readonly kind: 'cancel' | 'shutdown' | 'deleted') {
    super(`reply stopped: ${kind}`);
    this.name = 'StopReason';
  }
}
