"""Noun lemmas that head GUM `event` entity mentions, with how often the lemma is a noun at all.

Usage (from the repository root): python3 data/events/gum_event_nouns.py MIN_COUNT MIN_RATIO
e.g. `2 0.5`; GUM_DIR overrides the corpus folder (default ../shared/train/gum).
Prints `lemma<TAB>event-head count<TAB>noun count`; data/events/nominal.txt was curated by
hand from this list and general news usage.
"""
import glob,os,re,collections,sys
GUM_DIR=os.environ.get('GUM_DIR','../shared/train/gum')
ev=collections.Counter(); tot=collections.Counter()
for f in sorted(glob.glob(os.path.join(GUM_DIR,'*.conllu'))):
    sent=[]
    def flush():
        toks=[s for s in sent]
        stack={}  # id -> (type,start)
        spans=[]
        for k,(tid,lemma,upos,head,misc) in enumerate(toks):
            m=re.search(r'Entity=([^|]*)',misc)
            if not m: continue
            e=m.group(1)
            for mm in re.finditer(r'\((\d+)-(\w+)[^()]*?(\))?(?=\(|\)|$)',e):
                pass
            # parse opens and closes in order
            i=0
            while i<len(e):
                if e[i]=='(':
                    j=i+1
                    while j<len(e) and e[j] not in '()': j+=1
                    body=e[i+1:j]; eid=body.split('-')[0]; typ=body.split('-')[1] if '-' in body else ''
                    if j<len(e) and e[j]==')':
                        spans.append((typ,k,k)); i=j+1
                    else:
                        stack.setdefault(eid,[]).append((typ,k)); i=j
                elif e[i]==')':
                    i+=1
                else:
                    j=i
                    while j<len(e) and e[j] not in '()': j+=1
                    eid=e[i:j]
                    if j<len(e) and e[j]==')' and stack.get(eid):
                        typ,st=stack[eid].pop(); spans.append((typ,st,k))
                    i=j+1
        ids=[t[0] for t in toks]
        for typ,a,b in spans:
            if typ!='event': continue
            inside=set(ids[a:b+1])
            for k in range(a,b+1):
                if toks[k][3] not in inside and toks[k][2]=='NOUN':
                    ev[toks[k][1].lower()]+=1
        for t in toks:
            if t[2]=='NOUN': tot[t[1].lower()]+=1
    for line in open(f):
        line=line.rstrip('\n')
        if not line:
            if sent: flush(); sent=[]
            continue
        if line.startswith('#'): continue
        c=line.split('\t')
        if '-' in c[0] or '.' in c[0]: continue
        sent.append((c[0],c[2],c[3],c[6],c[9]))
    if sent: flush()
for w,c in sorted(ev.items(),key=lambda x:-x[1]):
    if c>=int(sys.argv[1]) and c/tot[w]>=float(sys.argv[2]): print(f"{w}\t{c}\t{tot[w]}")
