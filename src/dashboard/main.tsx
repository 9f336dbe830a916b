// The dashboard's entry: renders the app into the page, or the report's run view when the page
// is an HTML report with its run written in (ui/embedded-report.ts).
import { render } from "preact";
import { App } from "./ui/app.js";
import { embeddedRun } from "./ui/embedded-report.js";
import { ReportApp } from "./ui/report-app.js";
import "./ui/styles.css";
import "./ui/status.css";
import "./ui/charts.css";

const root = document.getElementById("app");
if (root === null) throw new Error("index.html has no #app element to render the dashboard into");
const report = embeddedRun();
render(report === undefined ? <App /> : <ReportApp report={report} />, root);
