// Summarises a V8 .cpuprofile (the JSON `node --cpu-prof` writes): self time per function,
// aggregated over all call sites of the same function, sorted descending. Pure over the parsed JSON.

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number; scriptId?: string | number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeRow {
  /** "functionName file:line" (line 1-based); V8's pseudo-frames keep their names: (garbage collector), (program), (idle). */
  name: string;
  functionName: string;
  location: string;
  selfMs: number;
  /** Share of the non-idle profile time, 0..1. */
  shareOfBusy: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  rows: SelfTimeRow[];
}

/** Shortens a script URL for a table: file:// dropped, paths under `root` made relative, node: kept. */
export function shortLocation(url: string, line: number, root?: string): string {
  if (url === '') return '';
  let u = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (root !== undefined && root !== '' && u.startsWith(root)) u = u.slice(root.length).replace(/^\/+/, '');
  return `${u}:${line + 1}`;
}

/** Self time of every function in the profile, largest first. */
export function summarizeProfile(profile: CpuProfile, root?: string): ProfileSummary {
  const byId = new Map<number, CpuProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const selfUsById = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // timeDeltas[i] is the time from sample i-1 to sample i; sample i lasts until sample i+1.
    let t = profile.startTime;
    const stamps: number[] = [];
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i]!;
      stamps.push(t);
    }
    for (let i = 0; i < samples.length; i++) {
      const end = i + 1 < samples.length ? stamps[i + 1]! : Math.max(stamps[i]!, profile.endTime);
      const dur = Math.max(0, end - stamps[i]!);
      const id = samples[i]!;
      selfUsById.set(id, (selfUsById.get(id) ?? 0) + dur);
    }
  } else {
    // No sample stream: fall back to hit counts spread evenly over the profile.
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const per = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const n of profile.nodes) selfUsById.set(n.id, (n.hitCount ?? 0) * per);
  }
  const agg = new Map<string, { functionName: string; location: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUsById) {
    const node = byId.get(id);
    if (node === undefined) continue;
    totalUs += us;
    const fn = node.callFrame.functionName || '(anonymous)';
    if (fn === '(idle)') idleUs += us;
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber, root);
    const key = `${fn}\u0000${location}`;
    const cur = agg.get(key);
    if (cur) cur.us += us;
    else agg.set(key, { functionName: fn, location, us });
  }
  const busyUs = totalUs - idleUs;
  const rows = [...agg.values()]
    .filter((r) => r.functionName !== '(idle)')
    .sort((a, b) => b.us - a.us || a.functionName.localeCompare(b.functionName))
    .map((r) => ({
      name: r.location ? `${r.functionName} ${r.location}` : r.functionName,
      functionName: r.functionName,
      location: r.location,
      selfMs: r.us / 1000,
      shareOfBusy: busyUs > 0 ? r.us / busyUs : 0,
    }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, busyMs: busyUs / 1000, rows };
}

/** A markdown table of the top `n` rows. */
export function formatProfileTable(summary: ProfileSummary, n: number): string {
  const out = ['| # | self ms | % of busy | function | location |', '| ---: | ---: | ---: | --- | --- |'];
  summary.rows.slice(0, n).forEach((r, i) => {
    out.push(`| ${i + 1} | ${r.selfMs.toFixed(1)} | ${(r.shareOfBusy * 100).toFixed(1)} | \`${r.functionName}\` | ${r.location ? `\`${r.location}\`` : ''} |`);
  });
  return out.join('\n');
}
