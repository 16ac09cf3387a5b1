import type { Message } from '../api/messages.js';
import type { EventLog } from './event-log.js';
import type { Follower, PublishedEvent } from './follower.js';
import type { EventHead } from './replay-window.js';
import { isReplyEnd, replyEnd } from './reply-end.js';

/** A reply to follow: its messages, and where its events start. */
export interface FollowedReply {
  userMessage: Pick<Message, 'id'>;
  /** The assistant message; for a reply that already ended, as it ended. */
  message: Message;
  /** The seq just before the reply's first event; null when the reply had already ended. */
  afterSeq: number | null;
  /** Settles once the reply has let its session go (idle, slot free): the follow ends after it. */
  done?: Promise<unknown>;
}

/**
 * The events of one reply, from its user message to its end (replayed from `afterSeq`, then live),
 * then `end('reply_ended')`. A reply that already ended (a repeated request) gets its end event
 * alone. Used by the streaming route; any front door that follows one reply uses the same.
 */
export function followReply(events: EventLog, reply: FollowedReply, follower: Follower): () => void {
  const { message } = reply;
  if (reply.afterSeq === null) {
    let stopped = false;
    void events.unnumbered(message.session_id, replyEnd(message)).then((end) => {
      if (stopped) return;
      follower.replay([end]);
      follower.end?.('reply_ended');
    });
    return () => {
      stopped = true;
    };
  }
  const ours = (event: EventHead) => event.message_id === message.id || event.message_id === reply.userMessage.id || event.type === 'resync';
  let ended = false;
  const finish = () => {
    ended = true;
    // A client that sends its next message as soon as this stream ends must find the session free:
    // on a store that answers over the network, the reply lets it go a few round trips after its end event.
    const released = reply.done ?? Promise.resolve();
    void released.catch(() => {}).then(() => follower.end?.('reply_ended'));
  };
  return events.follow(
    message.session_id,
    {
      replay(replayed) {
        if (ended) return;
        const mine: PublishedEvent[] = [];
        for (const published of replayed) {
          if (!ours(published.event)) continue;
          mine.push(published);
          if (isReplyEnd(published.event, message.id)) break;
        }
        follower.replay(mine);
        if (mine.length > 0 && isReplyEnd(mine[mine.length - 1].event, message.id)) finish();
      },
      deliver(published) {
        if (ended || !ours(published.event)) return;
        follower.deliver(published);
        if (isReplyEnd(published.event, message.id)) finish();
      },
      end(reason) {
        if (ended) return;
        ended = true;
        follower.end?.(reason);
      },
    },
    reply.afterSeq,
  );
}
