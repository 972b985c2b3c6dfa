import { matmul, tensor } from './src/index.ts';
function vals(n:number){ return new Float32Array(n).map((_, i)=>Math.sin(i)); }
for (const [m,k,n] of [[512,512,512],[1024,256,256],[256,256,256]]) {
  const a=tensor(vals(m*k),[m,k]), b=tensor(vals(k*n),[k,n]);
  const ts:number[]=[];
  for(let r=0;r<15;r++){ const t0=performance.now(); const c=matmul(a,b); c.dataSync(); ts.push(performance.now()-t0); c.dispose(); }
  ts.sort((x,y)=>x-y); const ms=ts[7]!;
  console.log(m,k,n, ms.toFixed(2),'ms', (2*m*n*k/ms/1e6).toFixed(1),'GFLOP/s');
}
