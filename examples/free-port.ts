// What the examples' configs that start servers share: a port to give each one.
import { createServer } from "node:net";

/** A TCP port of 127.0.0.1 free a moment ago (another process may take it meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
    server.once("error", reject);
  });
}
