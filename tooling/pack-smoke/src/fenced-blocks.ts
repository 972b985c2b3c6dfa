export interface FencedBlock {
  /** The info string after the opening fence, e.g. `js` or `sh`. */
  readonly lang: string;
  readonly code: string;
  /** Text of an HTML comment on the line right above the fence, if any. */
  readonly label: string | null;
}

/** The fenced code blocks of a markdown document, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const above = i > 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[i - 1]!) : null;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`fencedBlocks(markdown): the block opened on line ${i + 1} is never closed`);
    blocks.push({ lang: open[1]!, code: body.join('\n') + '\n', label: above ? above[1]! : null });
    i = j;
  }
  return blocks;
}
