/**
 * Parses and checks a base URL; throws a message naming the setting.
 *
 * @example
 * ```ts
 * parseBaseUrl('https://wallet.example/acl/api').pathname; // '/acl/api'
 * parseBaseUrl('ftp://wallet.example', 'checkout({ baseUrl })');
 * // TypeError: checkout({ baseUrl }) must use https: (or http: for a local simulator), got ftp:
 * ```
 */
export function parseBaseUrl(baseUrl: unknown, settingName = 'baseUrl'): URL {
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new TypeError(`${settingName} must be an http(s) URL string (got ${typeof baseUrl}).`);
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`${settingName} is not a valid URL: ${JSON.stringify(baseUrl)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(
      `${settingName} must use https: (or http: for a local simulator), got ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new TypeError(
      `${settingName} must not contain credentials; pass keys in their own settings.`,
    );
  }
  if (url.search || url.hash) {
    throw new TypeError(`${settingName} must not have a query string or fragment.`);
  }
  return url;
}
