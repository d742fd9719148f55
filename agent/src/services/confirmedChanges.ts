import {
  ClusterNode,
  cutOffRisks,
  nodeCutOffRisks,
  parseWith,
  type ClusterNodes,
} from '@tandem/core';
import type { ApplyResult, ApplyService } from './apply.js';
import type { ConfirmWindow, PendingConfirm } from './confirmWindow.js';
import type { GenerationService } from './generations.js';

/**
 * The changes that could cut the operator off, made from the console: applied at once and
 * rolled back unless the console confirms within the window (ADR 0015). From the operator's
 * socket on the unit itself nothing is at risk, and nothing waits.
 */
export function createConfirmedChanges(d: {
  apply: Pick<ApplyService, 'apply'>;
  generations: Pick<GenerationService, 'running' | 'get' | 'latest' | 'rollback'>;
  window: ConfirmWindow;
  nodes: {
    read(): Promise<ClusterNodes>;
    set(unit: string, node: unknown, author: string): Promise<ClusterNodes>;
  };
}) {
  return {
    async apply(o: { remote: boolean }): Promise<ApplyResult & { confirm?: PendingConfirm }> {
      const from = d.generations.running();
      const before = from !== null ? d.generations.get(from).config : null;
      const result = await d.apply.apply();
      if (!o.remote || from === null || result.generation === from) return result;
      const risks = cutOffRisks(before, d.generations.get(result.generation).config);
      if (risks.length === 0) return result;
      const confirm = d.window.arm('apply', risks, async () => {
        const latest = d.generations.latest();
        d.generations.rollback({
          base: latest?.summary.number ?? null,
          to: from,
          author: 'system',
          message: `not confirmed in time: back to generation ${from}`,
        });
        await d.apply.apply();
      });
      return { ...result, confirm };
    },
    async setNode(o: {
      unit: string;
      node: unknown;
      author: string;
      remote: boolean;
    }): Promise<ClusterNodes & { confirm?: PendingConfirm }> {
      const views = await d.nodes.read();
      const before = [views.here, views.peer].find((v) => v?.unit === o.unit)?.node ?? null;
      const answer = await d.nodes.set(o.unit, o.node, o.author);
      const next = parseWith(ClusterNode, o.node);
      if (!o.remote || !before || !next.ok) return answer;
      const risks = nodeCutOffRisks(before, next.value);
      if (risks.length === 0) return answer;
      const confirm = d.window.arm(`node:${o.unit}`, risks, async () => {
        await d.nodes.set(o.unit, before, 'system');
      });
      return { ...answer, confirm };
    },
    confirm: (key: string, author: string) => d.window.confirm(key, author),
  };
}
export type ConfirmedChanges = ReturnType<typeof createConfirmedChanges>;
