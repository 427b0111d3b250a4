/**
 * Makes the notebook page load plotly.js, so figures become interactive.
 *
 * The Deno kernel drops large output messages (measured: the 4.7 MB
 * plotly.js bundle as one output got lost in about half of the runs, and the
 * next small outputs with it), so plotly.js is not sent through the kernel:
 * a small script asks the Jupyter server for the file in node_modules
 * (`<base>files/...`). Where that fails, or in an exported page, each figure
 * keeps its PNG; `embedPlotly` makes exported pages interactive.
 *
 * @module
 */
import { relative } from "node:path";
import { plotlyScriptPath } from "../viz/plotly_script_path.ts";
import { jupyterDisplay, type MediaBundle, type NotebookDisplay } from "./jupyter_display.ts";

/** Options of {@linkcode enablePlotly}. */
export interface EnablePlotlyOptions {
  /** Where the bundle goes. @default jupyterDisplay() */
  display?: NotebookDisplay;
  /** The notebook's folder (the kernel's working directory). @default Deno.cwd() */
  notebookDir?: string;
  /** The Jupyter server's root folder, when known (`deno task jupyter` uses the project root). @default none */
  serverRoot?: string;
}

/**
 * The global the figure outputs queue their draw functions on while plotly.js
 * is not loaded yet; the loader drains it.
 */
export const PLOTLY_QUEUE = "ferPlotlyQueue";

/**
 * Displays a small script that loads plotly.js once into the Jupyter page
 * from the server's `files/` route and then draws every figure waiting for
 * it. It tries plotly.js relative to the notebook's folder (as the page URL
 * names it), then relative to `serverRoot`. Outside a Jupyter page the
 * script does nothing and figures show their PNG.
 *
 * Call it in the notebook's import cell.
 *
 * @param options See {@linkcode EnablePlotlyOptions}.
 * @returns Resolves when displayed (nothing, so a cell's last line shows no value).
 * @example
 * ```ts
 * const shown: MediaBundle[] = [];
 * await enablePlotly({ display: async (b) => void shown.push(b), notebookDir: "/p/notebooks" });
 * console.assert(String(shown[0]["text/html"]).includes("../node_modules/plotly.js-dist-min/plotly.min.js"));
 * ```
 */
export async function enablePlotly(options: EnablePlotlyOptions = {}): Promise<void> {
  const plotly = plotlyScriptPath();
  const toUrlPath = (path: string) => path.split(/[\\/]/).map(encodeURIComponent).join("/");
  const fromNotebook = toUrlPath(relative(options.notebookDir ?? Deno.cwd(), plotly));
  const fromRoot = options.serverRoot === undefined ? null : toUrlPath(relative(options.serverRoot, plotly));
  const loader = [
    "(function(){",
    `var q=${JSON.stringify(PLOTLY_QUEUE)};`,
    "function drain(){var list=window[q]||[];window[q]=[];for(var i=0;i<list.length;i++){list[i]();}}",
    "if(window.Plotly){drain();return;}",
    "if(window.ferPlotlyLoading){return;}",
    "var base=null,config=document.getElementById('jupyter-config-data');",
    "if(config){try{base=JSON.parse(config.textContent).baseUrl;}catch(e){}}",
    "if(!base&&document.body){base=document.body.getAttribute('data-base-url');}",
    "if(!base){return;}",
    "if(base.charAt(base.length-1)!=='/'){base+='/';}",
    "var page=/\\/(?:tree|notebooks)\\/(?:(.*)\\/)?[^\\/]*\\.ipynb/.exec(location.pathname),urls=[];",
    `if(page){urls.push(base+'files/'+(page[1]?page[1]+'/':'')+${JSON.stringify(fromNotebook)});}`,
    ...(fromRoot === null ? [] : [`urls.push(base+'files/'+${JSON.stringify(fromRoot)});`]),
    "window.ferPlotlyLoading=true;",
    "function next(i){if(i>=urls.length){window.ferPlotlyLoading=false;return;}",
    "var s=document.createElement('script');s.src=urls[i];",
    "s.onload=function(){window.ferPlotlyLoading=false;if(window.Plotly){drain();}else{next(i+1);}};",
    "s.onerror=function(){s.remove();next(i+1);};document.head.appendChild(s);}",
    "next(0);",
    "})();",
  ].join("");
  const bundle: MediaBundle = {
    "text/plain": "plotly.js loader (figures are interactive where the Jupyter server can serve node_modules; PNG elsewhere)",
    "text/html": `<script>${loader}</script>`,
  };
  await (options.display ?? jupyterDisplay())(bundle);
}
