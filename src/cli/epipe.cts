// `thingiverse-likes … | head`: the reader went away, which is not a failure. Stop quietly
// (exit 0, as other Unix tools), never print a stack trace. CommonJS so that main.cts can use
// it without loading the ES module loader.
function exitQuietlyWhenReaderLeaves(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
export = exitQuietlyWhenReaderLeaves;
