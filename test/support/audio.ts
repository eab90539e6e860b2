/** Small audio files for the recording tests: a real WAV header over `bytes` of silence-like data. */
export function wavFile(dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16); // PCM format chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // 8 kHz, as a phone line
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.alloc(dataBytes);
  for (let i = 0; i < dataBytes; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
  return Buffer.concat([header, data]);
}

/** A recordings key for tests (32 bytes, hex). */
export const TEST_RECORDINGS_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
