/**
 * The status page's static files: plain HTML, CSS and JavaScript kept in gateway/status/page/ and
 * read from the package root at start (the compiled server runs from dist/gateway/status/, and
 * the page is not compiled, so the build needs no copy step and a clean `npm ci` serves it). Read
 * once into memory: a fixed list of names, so no request path ever reaches the file system.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatusServerError } from './status-auth.js';

/** dist/gateway/status/page-files.js -> the package root -> gateway/status/page. */
export const DEFAULT_PAGE_DIR = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'gateway', 'status', 'page');

/** URL path -> file name and content type. */
const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/status.js': ['status.js', 'text/javascript; charset=utf-8'],
  '/sparkline.js': ['sparkline.js', 'text/javascript; charset=utf-8'],
  '/status.css': ['status.css', 'text/css; charset=utf-8'],
};

export interface PageFile {
  body: Buffer;
  type: string;
}

export function loadPageFiles(dir: string = DEFAULT_PAGE_DIR): Map<string, PageFile> {
  const out = new Map<string, PageFile>();
  for (const [route, [name, type]] of Object.entries(FILES)) {
    const file = path.join(dir, name);
    try {
      out.set(route, { body: fs.readFileSync(file), type });
    } catch (err) {
      throw new StatusServerError('E_STATUS_PAGE', `the status page file ${file} cannot be read (${(err as Error).message}); is the package complete?`);
    }
  }
  return out;
}
