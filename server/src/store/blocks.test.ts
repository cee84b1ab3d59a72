import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BlockAllocator } from './blocks';

describe('BlockAllocator', () => {
  it('hands out ranges one after another from one block above the mmap threshold', () => {
    const blocks = new BlockAllocator();
    const a = blocks.allocate(1000);
    const b = blocks.allocate(2000);
    expect(a.block).toBe(b.block);
    expect(a.block.bytes.length).toBe(BLOCK_BYTES);
    expect(BLOCK_BYTES).toBeGreaterThan(32 * 1024 * 1024);
    expect(b.bytes.byteOffset - a.bytes.byteOffset).toBe(1000);
    a.bytes.fill(1);
    b.bytes.fill(2);
    expect(a.bytes.every((x) => x === 1)).toBe(true);
  });

  it('starts a new block when one is full, and lets go of a block once all its ranges are freed', () => {
    const blocks = new BlockAllocator();
    const big = blocks.allocate(BLOCK_BYTES - 10);
    const next = blocks.allocate(100);
    expect(next.block).not.toBe(big.block);
    blocks.free(next);
    // The current block emptied: the next range comes from a fresh block, not after written pages.
    const again = blocks.allocate(100);
    expect(again.block).not.toBe(next.block);
    expect(again.bytes.byteOffset).toBe(0);
  });

  it('gives a range larger than a block a block of its own size', () => {
    const blocks = new BlockAllocator();
    const huge = blocks.allocate(BLOCK_BYTES + 1);
    expect(huge.bytes.length).toBe(BLOCK_BYTES + 1);
  });

  it('with recycle, hands a freed range out again until the spare ranges are released', () => {
    const blocks = new BlockAllocator({ recycle: true });
    const first = blocks.allocate(4096);
    blocks.allocate(4096);
    blocks.free(first);
    expect(blocks.spareBytes).toBe(4096);
    const again = blocks.allocate(4096);
    expect(again.bytes.byteOffset).toBe(first.bytes.byteOffset);
    expect(again.block).toBe(first.block);
    blocks.free(again);
    blocks.releaseSpare();
    expect(blocks.spareBytes).toBe(0);
    expect(blocks.allocate(4096).bytes.byteOffset).toBe(8192);
  });
});
