// Text imports (`with { type: "text" }`) of this example and of the workspace packages it compiles from source.
declare module "*.txt" {
  const text: string;
  export default text;
}
declare module "*.md" {
  const text: string;
  export default text;
}
