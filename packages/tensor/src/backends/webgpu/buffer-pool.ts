/**
 * Storage buffers recycled by size class. A class is the next power of two
 * of at least 256 bytes, so one free list serves every size up to twice its
 * request and a training loop, which asks for the same sizes each step,
 * stops allocating after its first step. Buffers released while commands
 * that may use them are still unsubmitted wait in `pending` until the
 * submit, because a later `queue.writeBuffer` into them would run before
 * those commands.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private freeCount = 0;
  private freeBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
  ) {}

  static sizeClass(bytes: number): number {
    return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
  }

  acquire(bytes: number): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.freeCount--;
      this.freeBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: this.usage });
  }

  /** Gives a buffer back; `deferred` while unsubmitted commands may still read or write it. */
  release(buffer: GPUBuffer, deferred: boolean): void {
    if (deferred) this.pending.push(buffer);
    else this.put(buffer);
  }

  /** Called after a submit: the pending buffers become reusable. */
  submitted(): void {
    for (const b of this.pending) this.put(b);
    this.pending = [];
  }

  /** Destroys every free buffer (live ones are untouched). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeCount = 0;
    this.freeBytes = 0;
  }

  stats(): { pooledBuffers: number; pooledBytes: number } {
    return { pooledBuffers: this.freeCount + this.pending.length, pooledBytes: this.freeBytes + this.pending.reduce((s, b) => s + b.size, 0) };
  }

  private put(buffer: GPUBuffer): void {
    const list = this.free.get(buffer.size);
    if (list) list.push(buffer);
    else this.free.set(buffer.size, [buffer]);
    this.freeCount++;
    this.freeBytes += buffer.size;
  }
}
