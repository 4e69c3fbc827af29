#!/usr/bin/env python3
"""Issue 29 item 7's count: constructors over 40 lines and methods over 60 in the Java sources under the
given folder (a member counted from its declaration's first line to the closing brace at its own
indentation). MemberLengthTest enforces the same count on tooling/local/src/main/java.
Usage: python3 tooling/local/member-lengths.py tooling/local/src/main/java"""
import re,sys,os
SIG=re.compile(r'^(\s+)(?:(?:public|private|protected|static|final|synchronized|abstract|default)\s+)*(?:<[^>]+>\s+)?(?:([\w.<>\[\],? ]+?)\s+)?(\w+)\s*\(')
BAD={'return','new','if','for','while','switch','catch','else','throw','try','synchronized','do','case','assert'}
def members(path):
    lines=open(path).read().split('\n')
    cls=os.path.basename(path)[:-5]
    out=[]
    for i,l in enumerate(lines):
        m=SIG.match(l)
        if not m: continue
        ind,typ,name=m.group(1),m.group(2),m.group(3)
        first=l.strip().split()[0]
        if ';' in l.split('//')[0]: continue
        if first in BAD or name in BAD or '=' in l.split('(')[0] or l.strip().startswith('@') : continue
        if typ and typ.split()[-1] in BAD: continue
        if typ is None and not name[0].isupper(): continue  # a call (a constructor bears its class's name)
        # find opening brace of declaration (signature may span lines) before a ';'
        j=i
        while j<len(lines) and '{' not in lines[j] and not lines[j].rstrip().endswith(';'): j+=1
        if j>=len(lines) or '{' not in lines[j]: continue
        if lines[j].rstrip().endswith('}'):  # one-liner
            out.append((name, typ is None, 1, i+1)); continue
        k=j+1
        while k<len(lines) and lines[k].rstrip()!=ind+'}': k+=1
        out.append((name, typ is None, k-i+1, i+1))
    return out
root=sys.argv[1]
total=[0,0,0]
for d,_,fs in sorted(os.walk(root)):
    for f in sorted(fs):
        if f.endswith('.java'):
            for name,ctor,n,line in members(os.path.join(d,f)):
                total[0]+=1
                if (ctor and n>40) or (not ctor and n>60):
                    total[1 if ctor else 2]+=1
                    print(f"{'constructor' if ctor else 'method'} {f}:{line} {name} {n} lines")
print(f"{total[0]} members: {total[1]} constructors over 40 lines, {total[2]} methods over 60")
