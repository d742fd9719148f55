/**
 * The VM's screen as a PNG, for docs/install.md (the boot test with UPDATE_SCREENSHOTS=1): QEMU
 * writes the VGA console as a PPM through its monitor socket; this turns it into a PNG (zlib and
 * a CRC are all a PNG needs, no image library).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { sleep } from './qemuVm.mjs';

function png(width, height, rgb) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function screendump(monitorSocket, ppmPath, pngPath) {
  await new Promise((resolve, reject) => {
    const s = connect(monitorSocket, () => s.end(`screendump ${ppmPath}\n`));
    s.on('error', reject);
    s.on('close', resolve);
    s.resume();
  });
  // QEMU writes the file after answering: wait until it is there and stops growing.
  let size = -1;
  for (let i = 0; i < 50; i++) {
    await sleep(200);
    const now = existsSync(ppmPath) ? statSync(ppmPath).size : -1;
    if (now > 0 && now === size) break;
    size = now;
  }
  const ppm = readFileSync(ppmPath);
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('screendump: not a PPM');
  const [all, w, h] = header;
  writeFileSync(pngPath, png(Number(w), Number(h), ppm.subarray(Buffer.byteLength(all, 'latin1'))));
}
