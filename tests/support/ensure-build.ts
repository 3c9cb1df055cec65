// globalSetup of the "server" test project: make the Remix build once, before
// any test starts `node server.mjs` (which would otherwise rebuild it several
// times at once when sources are newer than build/).
import path from "node:path";
import { ensureBuild } from "../../app/http/build.mjs";

export default function setup() {
  ensureBuild(path.resolve(__dirname, "../.."));
}
