// Splits a command line as zkCli.sh does (MyCommandOptions.parseCommand): words separated by
// spaces, a word may be "double" or 'single' quoted (the quotes are dropped).

export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /("[^"]+?"|'[^']+?'|[^"'\s]\S*)\s*/g;
  const text = line.trim();
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let word = m[1]!;
    if ((word.startsWith('"') && word.endsWith('"')) || (word.startsWith("'") && word.endsWith("'"))) word = word.slice(1, -1);
    out.push(word);
  }
  return out;
}
