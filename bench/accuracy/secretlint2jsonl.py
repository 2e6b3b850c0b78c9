#!/usr/bin/env python3
"""secretlint2jsonl.py SECRETLINT.json > FINDINGS.jsonl

Turns secretlint's `--format json` output (an array of file results, each
with filePath, sourceContent and messages carrying ruleId, range and loc)
into the JSON Lines findings score.py reads: rule (the short rule name),
path, line, end_line, column, and the secret redacted as ward redacts it
(first four characters, then the length), never in full."""
import json, sys

PREFIX = '@secretlint/secretlint-rule-'


def redact(s):
    return s[:4] + '…(%d chars)' % len(s) if len(s) > 8 else '…(%d chars)' % len(s)


with open(sys.argv[1], encoding='utf-8') as fh:
    results = json.load(fh)
out = sys.stdout
for res in results:
    src = res.get('sourceContent') or ''
    for m in res.get('messages', []):
        rule = m.get('ruleId') or 'secretlint'
        if rule.startswith(PREFIX):
            rule = rule[len(PREFIX):]
        loc = m.get('loc') or {}
        start, end = loc.get('start', {}), loc.get('end', {})
        a, b = (m.get('range') or [0, 0])[:2]
        line = start.get('line', 1)
        out.write(json.dumps({
            'rule': rule,
            'path': res['filePath'],
            'line': line,
            'end_line': end.get('line', line),
            'column': start.get('column', 0) + 1,
            'secret': redact(src[a:b]),
            'message_id': m.get('messageId'),
        }, ensure_ascii=False) + '\n')
