// Getting an observer's attention when an alert arrives: a short two-tone beep (Web Audio, no
// sound file to download) and a vibration, where the browser allows them. Browsers let a page
// make sound only after the person touched it, so the page asks for one touch (#sound).

let audio = null;

// Call from a click or key press: the audio context may start only then.
export function unlockSound() {
  audio ||= new AudioContext();
  if (audio.state === 'suspended') audio.resume();
  return audio.state !== 'suspended';
}

// Calls `listener` when the sound turns on or off: the context starts a moment after the touch.
// Call after unlockSound().
export function onSoundChange(listener) {
  audio?.addEventListener('statechange', listener);
}

export function soundReady() {
  return audio !== null && audio.state === 'running';
}

export function callAttention() {
  navigator.vibrate?.([300, 120, 300, 120, 300]);
  if (!soundReady()) return;
  const start = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.25, 660], [0.5, 880]]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.22);
    tone.connect(gain).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.23);
  }
}
