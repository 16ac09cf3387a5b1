// Sizes of each scenario: the figures for `npm run bench`, smaller ones for the quick mode
// (about a minute). Every loop in the benchmark is bounded by these counts and by timeouts.

export interface BenchSizes {
  apiRead: { sessions: number; connections: number; durationSeconds: number; warmupSeconds: number; rounds: number };
  streamRelay: { tokens: number; warmupRuns: number; runs: number; firstTokenSamples: number };
  concurrentReplies: { sessions: number; tokens: number; tokenIntervalMs: number };
  replyBurst: { replies: number; spreadMs: number; tokens: number; tokenIntervalMs: number };
  idleSubscribers: { sse: number; websocket: number; clientsPerSession: number };
  history: { sessions: number; messagesPerSession: number; bigSessionMessages: number; listSamples: number; bigSamples: number };
  startup: { runs: number; bigDatabaseMiB: number };
  promptAssembly: { messages: number; samples: number };
  crossInstance: { tokens: number; chunkDelayMs: number };
}

export const FULL: BenchSizes = {
  apiRead: { sessions: 20, connections: 64, durationSeconds: 4, warmupSeconds: 1, rounds: 5 },
  streamRelay: { tokens: 5000, warmupRuns: 3, runs: 5, firstTokenSamples: 40 },
  concurrentReplies: { sessions: 500, tokens: 200, tokenIntervalMs: 20 },
  replyBurst: { replies: 200, spreadMs: 1000, tokens: 200, tokenIntervalMs: 20 },
  idleSubscribers: { sse: 5000, websocket: 1000, clientsPerSession: 10 },
  history: { sessions: 2000, messagesPerSession: 100, bigSessionMessages: 10_000, listSamples: 200, bigSamples: 20 },
  startup: { runs: 7, bigDatabaseMiB: 100 },
  promptAssembly: { messages: 200, samples: 200 },
  crossInstance: { tokens: 2000, chunkDelayMs: 5 },
};

export const QUICK: BenchSizes = {
  apiRead: { sessions: 20, connections: 64, durationSeconds: 1, warmupSeconds: 1, rounds: 3 },
  streamRelay: { tokens: 5000, warmupRuns: 2, runs: 2, firstTokenSamples: 15 },
  concurrentReplies: { sessions: 100, tokens: 100, tokenIntervalMs: 20 },
  replyBurst: { replies: 50, spreadMs: 1000, tokens: 100, tokenIntervalMs: 20 },
  idleSubscribers: { sse: 1000, websocket: 200, clientsPerSession: 10 },
  history: { sessions: 200, messagesPerSession: 100, bigSessionMessages: 10_000, listSamples: 60, bigSamples: 6 },
  startup: { runs: 3, bigDatabaseMiB: 100 },
  promptAssembly: { messages: 200, samples: 200 },
  crossInstance: { tokens: 500, chunkDelayMs: 5 },
};
