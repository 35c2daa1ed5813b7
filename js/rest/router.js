// router.js — method + path patterns ('/process-instance/:id/variables/:varName') to handlers.
// A literal segment beats a parameter at the same position, so '/process-instance/count' is not
// taken for the instance with id 'count', whatever the order routes were added in.

export class Router {
  constructor() {
    this.routes = [];
  }

  add(method, pattern, handler) {
    const segments = pattern.split('/').filter(Boolean);
    this.routes.push({ method, segments, handler });
    return this;
  }

  get(pattern, handler) {
    return this.add('GET', pattern, handler);
  }

  post(pattern, handler) {
    return this.add('POST', pattern, handler);
  }

  put(pattern, handler) {
    return this.add('PUT', pattern, handler);
  }

  delete(pattern, handler) {
    return this.add('DELETE', pattern, handler);
  }

  /** → {handler, params} | {status: 404 | 405} */
  match(method, path) {
    const parts = path.split('/').filter(Boolean);
    let decoded;
    try {
      decoded = parts.map(decodeURIComponent);
    } catch {
      return { status: 404 };
    }
    let best = null;
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, decoded);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      if (!best || moreSpecific(route.segments, best.route.segments)) best = { route, params };
    }
    if (best) return { handler: best.route.handler, params: best.params };
    return { status: pathMatched ? 405 : 404 };
  }
}

function matchSegments(segments, parts) {
  if (segments.length !== parts.length) return null;
  const params = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.startsWith(':')) params[s.slice(1)] = parts[i];
    else if (s !== parts[i]) return null;
  }
  return params;
}

function moreSpecific(a, b) {
  for (let i = 0; i < a.length; i++) {
    const la = !a[i].startsWith(':');
    const lb = !b[i].startsWith(':');
    if (la !== lb) return la;
  }
  return false;
}

/** A handler's answer with an explicit status (and headers); a plain value is a 200 JSON body. */
export class Reply {
  constructor(status, body, headers = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function reply(status, body, headers) {
  return new Reply(status, body, headers);
}
