// A scripted model for tests of context management: it answers goosed's summary requests by
// echoing every "FACT: …." sentence it was sent (so a fact survives a summary only if the summary
// request carried it), and every other request with a short text that says which facts it saw.
import { isSummaryRequest, type RecordedRequest, type ScriptedTurn } from './scripted-llm.js';

/** Every `FACT: ….` sentence in the request, once each, in order. */
export function factsIn(request: RecordedRequest): string[] {
  const text = JSON.stringify(request.body).replace(/\\+"/g, '"');
  return [...new Set(text.match(/FACT: [^."\\]+\./g) ?? [])];
}

export function factEchoingModel(answer: (request: RecordedRequest) => string = () => 'Noted.'): (request: RecordedRequest) => ScriptedTurn {
  return (request) => (isSummaryRequest(request) ? { text: `Summary. ${factsIn(request).join(' ') || 'No facts.'}` } : { text: answer(request) });
}

/** A user message of about `tokens` tokens (four characters each), numbered. */
export function longMessage(index: number, tokens = 400, lead = ''): string {
  const filler = `Message ${index} goes on about nothing in particular, at length. `;
  return (lead + filler.repeat(Math.ceil((tokens * 4) / filler.length))).slice(0, tokens * 4);
}
