/** Failures grouped by error, each with the ids of the jobs it hit as compact ranges. */
import { formatCount } from './cost/numbers.js';
import type { FailureGroup } from './failure-groups.js';
import { groupIds } from './failure-groups.js';
import { escapeHtml } from './html.js';

export function failureSection(groups: readonly FailureGroup[], missingIds: string): string {
  const rows = groups
    .map(
      (group) =>
        `<tr><td class="num">${formatCount(group.count)}</td><td><code class="bad">${escapeHtml(group.name)}</code></td><td>${escapeHtml(group.message)}</td><td class="ids">${escapeHtml(groupIds(group))}</td></tr>`,
    )
    .join('');
  const table = groups.length
    ? `<div class="table-wrap"><table class="failures"><thead><tr><th class="num">jobs</th><th>error</th><th>message</th><th>job ids</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p class="empty">No job failed.</p>';
  const missing = missingIds ? `<p><strong>Missing</strong> (no result): <span class="ids">${escapeHtml(missingIds)}</span></p>` : '';
  return `<section aria-labelledby="h-failures"><h2 id="h-failures">Failures</h2>${table}${missing}</section>`;
}
