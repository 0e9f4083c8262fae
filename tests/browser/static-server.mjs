// A small static file server for a built site, for the theme's browser tests
// and the screenshot script: `/x/` serves `x/index.html`, a miss serves
// `404.html` with status 404. Loopback only, on a free port.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

/** Content types by file extension. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Serves `dir`; resolves with `{ server, base }`, base being `http://127.0.0.1:PORT`. */
export async function serve(dir) {
  const root = path.resolve(dir);
  const send = (res, file, status) => {
    res.writeHead(status, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };
  const server = http.createServer(async (req, res) => {
    try {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, path.normalize(rel));
      if (!file.startsWith(root + path.sep)) throw new Error('outside the site');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      send(res, file, 200);
    } catch {
      send(res, path.join(root, '404.html'), 404);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}
