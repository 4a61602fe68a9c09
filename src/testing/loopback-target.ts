/**
 * Parses `startFaultProxy({ target })` and refuses anything but a loopback `http:` URL: the
 * proxy is a test tool and never talks to another machine.
 */
export function loopbackTarget(target: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(target));
  } catch {
    throw new TypeError(
      `startFaultProxy({ target }) must be a simulator's baseUrl such as http://127.0.0.1:5123/api (got ${JSON.stringify(target)}).`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new TypeError(
      `startFaultProxy({ target }) must be a loopback http: URL (a simulator's baseUrl); got ${url.protocol}//${url.host}. The proxy never talks to anything but this machine.`,
    );
  }
  if (url.search || url.hash) {
    throw new TypeError('startFaultProxy({ target }) must not have a query string or fragment.');
  }
  return url;
}
