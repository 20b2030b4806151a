import Database from 'better-sqlite3';
const db = new Database('/tmp/lead-1m.db');
let a = performance.now();
db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS works_search USING fts5(title, authors, venue, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none)`);
if (db.prepare('select count(*) from works_search').pluck().get() === 0) {
db.exec(`INSERT INTO works_search(rowid, title, authors, venue) SELECT id, title, (SELECT group_concat(value, char(10)) FROM json_each(works.authors)), coalesce(venue, '') FROM works`);
console.log('build', performance.now() - a);
}
try { console.log(db.prepare("select count(*) from works_search where works_search match ?").pluck().get('"transfer"')); } catch (e) { console.log('phrase err', e.message); }
const tri = (q) => { const c = Array.from(q); const out = []; for (let i = 0; i + 3 <= c.length; i++) out.push('"' + c.slice(i, i + 3).join('').replace(/"/g, '""') + '"'); return out.join(' AND '); };
for (const q of ['transfer', 'Smith', 'zzqx', 'deep learning']) {
  a = performance.now();
  const n = db.prepare("select count(*) from works_search where works_search match ?").pluck().get(tri(q));
  console.log(q, n, (performance.now() - a).toFixed(0));
}
