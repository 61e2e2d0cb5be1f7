// Text imports (`import x from "./prompt.txt" with { type: "text" }`): Bun inlines them, and bun build bundles them.
declare module "*.txt" {
  const content: string;
  export default content;
}
declare module "*.md" {
  const content: string;
  export default content;
}
