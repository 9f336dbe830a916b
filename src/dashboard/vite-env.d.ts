// Types of what Vite handles in the browser bundle: CSS imports, import.meta.env.
/// <reference types="vite/client" />
