import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionEvent } from '../../../src/client/index.js';
import { api, dataOf, describeError, GoosedError, reportKeyNeeded } from '../lib/api.js';
import { applyEvents, chatFromSnapshot, emptyChat, type ChatState } from './chat-state.js';
import { clearAnchor, readAnchor, saveAnchor } from './reply-anchor.js';

export type Connection =
  | { state: 'loading' }
  | { state: 'open' }
  | { state: 'connecting' }
  | { state: 'reconnecting'; retryInMs: number }
  | { state: 'gone' }
  | { state: 'failed'; message: string };

/**
 * A session as it happens: its snapshot, then its events from `/events` (replayed across reconnects
 * by Last-Event-ID). Events are applied once per animation frame, so a fast stream costs one render
 * per frame, not one per piece of text.
 */
export function useChat(sessionId: string, keyVersion: number): { chat: ChatState; connection: Connection } {
  const [chat, setChat] = useState<ChatState>(emptyChat);
  const [connection, setConnection] = useState<Connection>({ state: 'loading' });
  const refetchRef = useRef<() => void>(() => {});

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let queued: SessionEvent[] = [];
    let frame = 0;
    setChat(emptyChat);
    setConnection({ state: 'loading' });

    const flush = () => {
      frame = 0;
      const batch = queued;
      queued = [];
      setChat((state) => applyEvents(state, batch));
    };
    const onEvent = (event: SessionEvent) => {
      if (event.type === 'message_start' && event.message.role === 'assistant') saveAnchor(sessionId, { messageId: event.message.id, after: event.seq - 1 });
      if ((event.type === 'message_complete' || event.type === 'error') && readAnchor(sessionId)?.messageId === event.message_id) clearAnchor(sessionId);
      queued.push(event);
      frame ||= requestAnimationFrame(flush);
    };
    const fetchSnapshot = async () => {
      const path = { id: sessionId };
      const [session, approvals, summaries] = await Promise.all([
        dataOf(api.GET('/api/sessions/{id}', { params: { path }, signal })),
        dataOf(api.GET('/api/sessions/{id}/approvals', { params: { path, query: { status: 'pending' } }, signal })),
        dataOf(api.GET('/api/sessions/{id}/summaries', { params: { path }, signal })),
      ]);
      return chatFromSnapshot(session, approvals, summaries);
    };
    // Fetching the snapshot again: at once for a resync; for events of an unknown message at most
    // once a second (a burst of them asks once). A request made while one runs waits for it.
    let refetching = false;
    let again = false;
    let lastRefetch = 0;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    const refetch = async (force: boolean) => {
      if (signal.aborted) return;
      const wait = force ? 0 : lastRefetch + 1000 - Date.now();
      if (wait > 0) {
        refetchTimer ??= setTimeout(() => {
          refetchTimer = undefined;
          void refetch(false);
        }, wait);
        return;
      }
      if (refetching) {
        again = true;
        return;
      }
      refetching = true;
      lastRefetch = Date.now();
      try {
        const snapshot = await fetchSnapshot();
        if (!signal.aborted) setChat(snapshot);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof GoosedError && error.status === 404) {
          setConnection({ state: 'gone' });
        } else {
          // The events keep coming meanwhile; the snapshot is tried again shortly.
          refetchTimer ??= setTimeout(() => {
            refetchTimer = undefined;
            void refetch(true);
          }, 2000);
        }
      } finally {
        refetching = false;
        if (again) {
          again = false;
          void refetch(true);
        }
      }
    };
    refetchRef.current = () => void refetch(false);

    (async () => {
      let snapshot: ChatState;
      try {
        snapshot = await fetchSnapshot();
      } catch (error) {
        if (signal.aborted) return;
        setConnection(error instanceof GoosedError && error.status === 404 ? { state: 'gone' } : { state: 'failed', message: describeError(error) });
        return;
      }
      if (signal.aborted) return;
      setChat(snapshot);
      // A reply that is still running is rebuilt from its own events when this tab saw it begin.
      const running = snapshot.messages.find((message) => message.role === 'assistant' && message.status === 'running');
      const anchor = readAnchor(sessionId);
      if (!running) clearAnchor(sessionId);
      const after = running && anchor?.messageId === running.id ? anchor.after : null;
      const follower = api.followSession(sessionId, {
        after,
        signal,
        onEvent,
        onResync: () => void refetch(true),
        onState: (state) => {
          if (state.state === 'open') setConnection({ state: 'open' });
          else if (state.state === 'connecting' && state.attempt === 1) setConnection({ state: 'connecting' });
          else if (state.state === 'waiting') setConnection({ state: 'reconnecting', retryInMs: state.retryInMs });
        },
      });
      const error = await follower.done;
      if (!error || signal.aborted) return;
      if (error.status === 401) reportKeyNeeded();
      setConnection(error.status === 404 ? { state: 'gone' } : { state: 'failed', message: error.message });
    })();

    return () => {
      controller.abort();
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(refetchTimer);
    };
  }, [sessionId, keyVersion]);

  // An event for a message this page never saw (it joined mid-reply): fetch the session again.
  useEffect(() => {
    if (chat.stale) refetchRef.current();
  }, [chat.stale]);

  return { chat, connection };
}
