import { simulatedVideo } from './mediaVideo.js';

/** A file the simulator serves for a result URL, so pages can play what jobs make. */
export interface MediaFile {
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** A number from a text, to vary tone and colour by job. */
function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
  return value >>> 0;
}

/** 1.5 s of a sine tone (8 kHz, 8-bit mono WAV, 12 KB), its pitch drawn from `name`, fading in and out. */
export function toneWav(name: string): Uint8Array {
  const rate = 8_000;
  const samples = rate * 1.5;
  const pitch = 220 * 2 ** ((hash(name) % 24) / 12);
  const out = new Uint8Array(44 + samples);
  const view = new DataView(out.buffer);
  const text = (at: number, value: string) => [...value].forEach((char, index) => view.setUint8(at + index, char.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  text(36, 'data');
  view.setUint32(40, samples, true);
  for (let index = 0; index < samples; index++) {
    const envelope = Math.min(1, index / 800, (samples - index) / 800);
    out[44 + index] = Math.round(128 + 90 * envelope * Math.sin((2 * Math.PI * pitch * index) / rate));
  }
  return out;
}

/** A cover image: a square in a colour drawn from `name`, as SVG. */
export function coverSvg(name: string): Uint8Array {
  const hue = hash(name) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><rect width="256" height="256" fill="hsl(${hue},60%,45%)"/><circle cx="128" cy="128" r="72" fill="hsl(${(hue + 180) % 360},60%,70%)"/></svg>`;
  return new TextEncoder().encode(svg);
}

/** The file for a media path (`ID.mp3`, `ID.mp4`, `ID.jpg`), or undefined. */
export function mediaFile(file: string): MediaFile | undefined {
  const dot = file.lastIndexOf('.');
  const name = decodeURIComponent(file.slice(0, dot));
  switch (file.slice(dot + 1)) {
    case 'mp3':
    case 'wav':
      return { contentType: 'audio/wav', body: toneWav(name) };
    case 'mp4':
    case 'webm':
      return { contentType: 'video/webm', body: simulatedVideo() };
    case 'jpg':
    case 'jpeg':
    case 'png':
      return { contentType: 'image/svg+xml', body: coverSvg(name) };
    default:
      return undefined;
  }
}
