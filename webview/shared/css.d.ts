// esbuild loads .css as text (esbuild.mjs: loader '.css': 'text'); the webview adopts it as a constructable stylesheet.
declare module '*.css' {
  const text: string;
  export default text;
}
