/**
 * The HTML document around the sections: inline styles, inline data, inline script. Nothing in
 * it names another resource (the icon is an empty data: URL so the browser does not ask for
 * /favicon.ico), so the file opens offline and makes no request at all.
 */
import { escapeHtml, scriptJson } from './html.js';
import { STYLES } from './styles.js';
import { CLIENT_SCRIPT } from './client-script.js';

export type PageShellInput = {
  title: string;
  /** The sections, already HTML. */
  body: string;
  /** What the page's script reads, embedded as JSON. */
  data: unknown;
};

export function pageShell({ title, body, data }: PageShellInput): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="fanout-data">${scriptJson(data)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
