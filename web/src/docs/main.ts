// GET /api/docs: the OpenAPI document rendered by Swagger UI, every file from this server. The page
// holds no data: it fetches the document with the key the web interface uses (sessionStorage), asks
// for the key on a 401, and Swagger UI's "Try it out" requests carry it too.
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';
import { forgetKey, readKey, saveKey, takeKeyFromAddress } from '../lib/key-store.js';

const SPEC_URL = '/api/openapi.json';
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element<HTMLParagraphElement>('status');
const keyForm = element<HTMLFormElement>('key-form');
const keyInput = element<HTMLInputElement>('key-input');
const keyError = element<HTMLParagraphElement>('key-error');

takeKeyFromAddress();
// Started now, so the renderer downloads while the document is fetched (or the key is typed).
const swaggerUi = import('swagger-ui-dist/swagger-ui-es-bundle.js');

function say(text: string): void {
  status.textContent = text;
  status.hidden = !text;
}

function askForKey(message: string): void {
  say('');
  keyForm.hidden = false;
  keyError.textContent = message;
  keyInput.focus();
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  saveKey(key);
  keyInput.value = '';
  keyForm.hidden = true;
  void load();
});

const authorization = (key: string | null): Record<string, string> => (key ? { Authorization: `Bearer ${key}` } : {});

/** Only requests to this server get the key, whatever URL a "Try it out" form ends up with. */
const isSameOrigin = (url: string) => new URL(url, location.href).origin === location.origin;

function render(spec: object, SwaggerUIBundle: typeof import('swagger-ui-dist/swagger-ui-es-bundle.js').default): void {
  SwaggerUIBundle({
    domNode: element('reference'),
    spec,
    deepLinking: true,
    filter: true,
    // The page shows this server's document only: no ?url= or ?configUrl= from a link, no online validator.
    queryConfigEnabled: false,
    validatorUrl: null,
    requestInterceptor: (request) => {
      const key = readKey();
      if (key && isSameOrigin(request.url)) request.headers.Authorization = `Bearer ${key}`;
      return request;
    },
  });
}

async function load(): Promise<void> {
  say('Loading the API description…');
  const key = readKey();
  try {
    const response = await fetch(SPEC_URL, { headers: authorization(key), cache: 'no-store' });
    if (response.status === 401) {
      forgetKey();
      return askForKey(key ? 'That key was not accepted.' : '');
    }
    if (!response.ok) return say(`The server answered ${response.status} for ${SPEC_URL}.`);
    render((await response.json()) as object, (await swaggerUi).default);
    say('');
  } catch (error) {
    say(`The reference could not be shown: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

void load();
