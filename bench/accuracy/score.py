#!/usr/bin/env python3
"""score.py [--brief] LABELS FINDINGS.jsonl CORPUS_DIR - self-consistency of the rules.

The corpus is made from the rules' own example templates, so these figures
say whether the catalog still finds what it was written to find (a
regression test), not how well ward detects real secrets: they are never
recall or precision.  Detection is measured on held-out data outside the
project.

A positive is found when a finding in its file touches its lines; a finding
that touches no positive is a false positive, with one exception: a finding
by a generic rule (labels of kind "generic") on a provider rule's near-miss
negative (kind "neg"; not a generic rule's own) is counted apart.  A near miss such as FASTLY_API_TOKEN = <12
random characters> is a negative for the provider rules, but a random value
assigned to a secret-like name is what the generic rules are for.  The
headline share leaves those findings out; "on plants (strict)" counts
every finding on a negative file as a false positive, and the findings
counted apart are listed, so nothing is hidden.  Generic findings on the
generated hard negatives (kind "hard") stay false positives.

Families are rule id prefixes (the text before the first '-').  Secrets stay
redacted (ward's JSON output redacts them; secretlint2jsonl.py likewise).
FINDINGS is JSON Lines with at least rule, path, line, end_line and secret;
confidence and encoding are optional.  --brief prints the figures without the
per-family table and the lists (used for a second tool's figures)."""
import collections, json, sys

args = sys.argv[1:]
brief = '--brief' in args
args = [a for a in args if a != '--brief']
if len(args) != 3:
    sys.exit(__doc__.split('\n\n')[0])
labels, findings_path, corpus = args[0], args[1], args[2].rstrip('/') + '/'

pos = []
by_path = collections.defaultdict(list)
near_miss = {}        # path -> the rule whose near-miss negative the file holds
generic = set()       # generic rule ids
for line in open(labels):
    path, first, last, rule, kind = line.rstrip('\n').split('\t')
    if kind == 'pos':
        item = [path, int(first), int(last), rule, False]
        pos.append(item)
        by_path[path].append(item)
    elif kind == 'neg':
        near_miss[path] = rule
    elif kind == 'generic':
        generic.add(rule)

tp = fp = 0
fps, apart = [], []
by_conf = collections.defaultdict(lambda: [0, 0, 0])  # confidence -> [tp, fp, apart]
for line in open(findings_path):
    f = json.loads(line)
    path = f['path'][len(corpus):] if f['path'].startswith(corpus) else f['path']
    hit = False
    for item in by_path.get(path, []):
        if item[1] <= f['line'] <= item[2] or item[1] <= f['end_line'] <= item[2]:
            item[4] = hit = True
    conf = f.get('confidence')
    shown = (f['rule'], path, f['line'], f.get('secret', ''), f.get('encoding'))
    if hit:
        tp += 1
        by_conf[conf][0] += 1
    elif f['rule'] in generic and path in near_miss and near_miss[path] not in generic:
        # (a generic rule's own near misses, "password = short", stay negatives)
        apart.append(shown + (near_miss[path],))
        by_conf[conf][2] += 1
    else:
        fp += 1
        fps.append(shown)
        by_conf[conf][1] += 1


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def show(r, path, ln, sec, enc, *rest):
    print('    %-34s %s:%d  %s%s%s' % (r, path, ln, sec, ' (in %s)' % enc if enc else '',
                                      '  (near miss of %s)' % rest[0] if rest else ''))


def show_list(title, items, limit):
    if not items:
        return
    print('  %s (%d):' % (title, len(items)))
    for it in items[:limit]:
        show(*it)
    if len(items) > limit:
        print('    ... and %d more' % (len(items) - limit))


fam = collections.OrderedDict()
for path, first, last, rule, found in sorted(pos, key=lambda p: p[3]):
    k = rule.split('-')[0]
    n, ok = fam.get(k, (0, 0))
    fam[k] = (n + 1, ok + found)
if not brief:
    print('  planted examples found per family (rule id prefix): found/planted')
    cells = ['%s %d/%d' % (k, ok, n) for k, (n, ok) in fam.items()]
    for i in range(0, len(cells), 6):
        print('    ' + '   '.join(cells[i:i + 6]))
found = sum(1 for p in pos if p[4])
recall = pct(found, len(pos))
precision = pct(tp, tp + fp)
strict = pct(tp, tp + fp + len(apart))
print('  (self-consistency on the rules\' own templates, not detection recall or precision)')
print('  planted found       %d/%d = %.2f%% [%s >= 98%%]' % (found, len(pos), recall, 'PASS' if recall >= 98 else 'MISS'))
print('  findings on plants  %d/%d = %.2f%% [%s >= 98%%]' % (tp, tp + fp, precision, 'PASS' if precision >= 98 else 'MISS'))
print('  on plants (strict)  %d/%d = %.2f%% (every finding on a negative file counts against)'
      % (tp, tp + fp + len(apart), strict))
if not brief:
    for conf in ('high', 'medium', 'low'):
        t, x, a = by_conf.get(conf, (0, 0, 0))
        if t + x + a:
            print('    %-6s findings: %d/%d = %.2f%% on plants%s' % (
                conf, t, t + x, pct(t, t + x), ', %d counted apart' % a if a else ''))
if apart or not brief:
    print('  generic findings on near-miss values assigned to secret-like names: %d (counted apart; listed below)'
          % len(apart))
fp_rules = collections.Counter(r for r, *_ in fps)
print('  false positives by rule: ' + (', '.join('%s %d' % kv for kv in fp_rules.most_common()) or 'none'))
missed = [p for p in pos if not p[4]]
if brief and not apart:
    sys.exit(0)
if missed:
    print('  missed positives (%d):' % len(missed))
    for p in missed[:40]:
        print('    %-34s %s:%d' % (p[3], p[0], p[1]))
    if len(missed) > 40:
        print('    ... and %d more' % (len(missed) - 40))
show_list('false positives', fps, 40)
show_list('generic findings on near-miss values, counted apart', apart, 200)
