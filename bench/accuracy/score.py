#!/usr/bin/env python3
"""score.py LABELS FINDINGS.jsonl CORPUS_DIR - recall per family, precision.

A positive is found when a finding in its file touches its lines; every
finding that touches no positive is a false positive.  Families are rule id
prefixes (the text before the first '-').  Secrets stay redacted (ward's
JSON output redacts them)."""
import collections, json, sys

labels, findings_path, corpus = sys.argv[1], sys.argv[2], sys.argv[3].rstrip('/') + '/'
pos = []
by_path = collections.defaultdict(list)
for line in open(labels):
    path, first, last, rule, kind = line.rstrip('\n').split('\t')
    item = [path, int(first), int(last), rule, False]
    pos.append(item)
    by_path[path].append(item)

tp = fp = 0
fps = []
by_conf = collections.defaultdict(lambda: [0, 0])  # confidence -> [tp, fp]
for line in open(findings_path):
    f = json.loads(line)
    path = f['path'][len(corpus):] if f['path'].startswith(corpus) else f['path']
    hit = False
    for item in by_path.get(path, []):
        if item[1] <= f['line'] <= item[2] or item[1] <= f['end_line'] <= item[2]:
            item[4] = hit = True
    by_conf[f['confidence']][0 if hit else 1] += 1
    if hit:
        tp += 1
    else:
        fp += 1
        fps.append((f['rule'], path, f['line'], f['secret'], f.get('encoding')))

fam = collections.OrderedDict()
for path, first, last, rule, found in sorted(pos, key=lambda p: p[3]):
    k = rule.split('-')[0]
    n, ok = fam.get(k, (0, 0))
    fam[k] = (n + 1, ok + found)
print('  recall per family (rule id prefix): found/positives')
cells = ['%s %d/%d' % (k, ok, n) for k, (n, ok) in fam.items()]
for i in range(0, len(cells), 6):
    print('    ' + '   '.join(cells[i:i + 6]))
found = sum(1 for p in pos if p[4])
recall = 100.0 * found / len(pos) if pos else 0
precision = 100.0 * tp / (tp + fp) if tp + fp else 100.0
print('  recall     %d/%d = %.2f%% [%s >= 98%%]' % (found, len(pos), recall, 'PASS' if recall >= 98 else 'MISS'))
print('  precision  %d/%d = %.2f%% [%s >= 98%%]' % (tp, tp + fp, precision, 'PASS' if precision >= 98 else 'MISS'))
for conf in ('high', 'medium', 'low'):
    t, x = by_conf.get(conf, (0, 0))
    if t + x:
        print('    %-6s findings: %d/%d = %.2f%% precise' % (conf, t, t + x, 100.0 * t / (t + x)))
fp_rules = collections.Counter(r for r, *_ in fps)
if fp_rules:
    print('  false positives by rule: ' + ', '.join('%s %d' % kv for kv in fp_rules.most_common()))
missed = [p for p in pos if not p[4]]
if missed:
    print('  missed positives (%d):' % len(missed))
    for p in missed[:40]:
        print('    %-34s %s:%d' % (p[3], p[0], p[1]))
if fps:
    print('  false positives (%d):' % len(fps))
    for r, path, ln, sec, enc in fps[:40]:
        print('    %-34s %s:%d  %s%s' % (r, path, ln, sec, ' (in %s)' % enc if enc else ''))
