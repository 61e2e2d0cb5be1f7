export {
  chooseDefaultModel,
  DEFAULT_MODEL,
  DEFAULT_REASONING_EFFORT,
  DEFAULT_ROUTER_MODEL,
  effortOf,
} from "./default-model.ts";
export {
  hasModelCredentials,
  lastModelFile,
  type ModelSource,
  pickStartModel,
  readLastModel,
  rememberModel,
} from "./last-model.ts";
