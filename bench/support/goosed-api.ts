import type { Agent } from 'node:http';
import { jsonRequest } from './sse-request.js';

// The few API calls the scenarios make to set goosed up.

export async function configureScriptedProvider(goosedUrl: string, llmUrl: string): Promise<void> {
  const response = await jsonRequest(`${goosedUrl}/api/providers`, 'POST', { name: 'openai', api_key: 'sk-bench', model: 'm', base_url: `${llmUrl}/v1` });
  if (response.status !== 200) throw new Error(`configuring the provider failed: ${response.status} ${response.text}`);
}

export async function createSessions(goosedUrl: string, count: number, agent?: Agent, parallel = 16): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await jsonRequest<{ id: string }>(`${goosedUrl}/api/sessions`, 'POST', { name: `bench session ${index}`, working_directory: '/tmp' }, agent);
      if (response.status !== 201) throw new Error(`creating a session failed: ${response.status} ${response.text}`);
      ids[index] = response.body.id;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return ids;
}
