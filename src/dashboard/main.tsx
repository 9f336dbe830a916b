// The dashboard's entry: renders the app into the page.
import { render } from "preact";
import { App } from "./ui/app.js";
import "./ui/styles.css";
import "./ui/status.css";
import "./ui/charts.css";

const root = document.getElementById("app");
if (root === null) throw new Error("index.html has no #app element to render the dashboard into");
render(<App />, root);
