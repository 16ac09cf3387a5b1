import { request as httpRequest } from 'node:http';

/**
 * One request through node:http, headers exactly as given: fetch cannot set Host, and does not
 * promise to send what browsers forbid scripts to set (Sec-Fetch-*).
 */
export function rawRequest(url: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url + path, { method, headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
