for (const n of [25000, 50000, 100000, 200000, 400000]) {
  const data = {}; for (let i = 0; i < n; i++) data['k' + i] = 'v';
  const text = JSON.stringify(data);
  let t0 = performance.now(); JSON.parse(text); const p = performance.now() - t0;
  t0 = performance.now(); const o = {}; for (const k in data) o[k] = data[k]; const a = performance.now() - t0;
  t0 = performance.now(); const m = new Map(); for (const k in data) m.set(k, data[k]); const mm = performance.now() - t0;
  console.log(n, 'parse', p.toFixed(0), 'assign', a.toFixed(0), 'map', mm.toFixed(0));
}
