// Runs the TypeScript of a generated README under Node.js against a live server, with its
// token, and prints what each call gave as one JSON object. A main.ts written by
// tests/test_client_library.py next to each README's client.ts calls `run`.
// Usage: node main.js <base URL> <token> <plan: JSON list of {method, path}>
import { ServerConnection } from '@jupyterlab/services';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';

type Settings = ServerConnection.ISettings;
type RequestAPI = (settings: Settings, path: string, init?: RequestInit) => Promise<unknown>;
type FetchAPI = (
  settings: { baseUrl: string; token?: string },
  path: string,
  init?: RequestInit
) => Promise<unknown>;
type Example = (settings: Settings) => Promise<unknown>;

/** One call of the plan: a JSON route's method at its example path. */
interface Call {
  method: string;
  path: string;
}

/** What a call gave: its value, or its error and the HTTP status the error carries. */
interface Outcome {
  value?: unknown;
  error?: string;
  status?: number;
}

const TIMEOUT_MS = 15000;

async function settle(promise: Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    return { value: await Promise.race([promise, timeout]) };
  } catch (error) {
    const status =
      error instanceof ServerConnection.ResponseError
        ? error.response.status
        : Number(/^(\d{3}) /.exec(String((error as Error).message))?.[1]) || undefined;
    return { error: String(error), status };
  } finally {
    clearTimeout(timer);
  }
}

function connect(baseUrl: string, token: string): Settings {
  // Node.js has no WebSocket of its own (before 22): the `ws` package stands in.
  return ServerConnection.makeSettings({
    baseUrl,
    token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket
  });
}

export async function run(
  requestAPI: RequestAPI,
  fetchAPI: FetchAPI,
  examples: Record<string, Example>
): Promise<void> {
  const [baseUrl, token, planJson] = process.argv.slice(2);
  Object.assign(globalThis, { EventSource }); // Node.js 20 has fetch, but no EventSource
  const plan = JSON.parse(planJson) as Call[];
  const settings = connect(baseUrl, token);
  const report: Record<string, unknown> = {};
  const calls = [];
  for (const { method, path } of plan) {
    const writes = ['POST', 'PUT', 'PATCH'].includes(method);
    const init = { method, body: writes ? JSON.stringify({ name: 'example' }) : undefined };
    calls.push({
      method,
      path,
      requestAPI: await settle(requestAPI(settings, path, init)),
      fetchAPI: await settle(fetchAPI({ baseUrl, token }, path, init))
    });
  }
  report.calls = calls;
  for (const [name, example] of Object.entries(examples)) {
    report[name] = await settle(example(settings));
  }
  report.wrongToken = {
    requestAPI: await settle(requestAPI(connect(baseUrl, 'not-the-token'), 'openapi.json')),
    fetchAPI: await settle(fetchAPI({ baseUrl, token: 'not-the-token' }, 'openapi.json'))
  };
  console.log(JSON.stringify(report));
  process.exit(0); // whatever sockets or streams an example left open
}
