/** Saves text as a file from an extension page: the browser's download, no request anywhere. */
export function saveFile(filename: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download holds its own copy once started; revoking later frees the memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
