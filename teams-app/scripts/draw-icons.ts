/**
 * Draws the app package icons: `color.png` (192×192, white arrow on the accent colour) and `outline.png`
 * (32×32, the same arrow in white on transparency), as Teams requires. Run it when the design changes:
 *   npx tsx teams-app/scripts/draw-icons.ts
 * The PNGs are committed; packaging only copies them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** The manifest's `accentColor`, as RGB. */
const accent = [0x0f, 0x6c, 0xbd] as const;

/** An arrow rising to the upper right: a right-pointing arrow in the unit square, turned 45° anticlockwise. */
function onArrow(x: number, y: number): boolean {
  const turn = Math.PI / 4;
  const dx = x - 0.5;
  const dy = y - 0.5;
  // Undo the turn (y grows downwards, so anticlockwise on screen is a positive angle here).
  const u = 0.5 + dx * Math.cos(turn) - dy * Math.sin(turn);
  const v = 0.5 + dx * Math.sin(turn) + dy * Math.cos(turn);
  const inShaft = u >= 0.08 && u <= 0.6 && v >= 0.4 && v <= 0.6;
  const inHead = u >= 0.52 && u <= 0.95 && Math.abs(v - 0.5) <= (0.95 - u) * (0.32 / 0.43);
  return inShaft || inHead;
}

/** Share of the pixel covered by the glyph, from a 4×4 grid of samples, with the glyph inset by `margin`. */
function coverage(px: number, py: number, size: number, margin: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const x = ((px + (sx + 0.5) / 4) / size - margin) / (1 - 2 * margin);
      const y = ((py + (sy + 0.5) / 4) / size - margin) / (1 - 2 * margin);
      if (onArrow(x, y)) hits++;
    }
  }
  return hits / 16;
}

function draw(size: number, pixel: (cover: number) => readonly [number, number, number, number], margin: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(pixel(coverage(x, y, size, margin)), (y * size + x) * 4);
  }
  return rgba;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG, every scanline unfiltered. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const scanlines = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) scanlines.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const blend = (from: number, to: number, share: number) => Math.round(from + (to - from) * share);

const colorIcon = draw(192, (cover) => [blend(accent[0], 255, cover), blend(accent[1], 255, cover), blend(accent[2], 255, cover), 255], 0.18);
const outlineIcon = draw(32, (cover) => [255, 255, 255, Math.round(cover * 255)], 0.03);

const appPackage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');
writeFileSync(path.join(appPackage, 'color.png'), encodePng(192, 192, colorIcon));
writeFileSync(path.join(appPackage, 'outline.png'), encodePng(32, 32, outlineIcon));
console.log(`Wrote color.png and outline.png in ${appPackage}`);
