import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "../../..");
export const EC2_TEMPLATE = join(REPO_ROOT, "deploy/cloudformation/ml-intern-stack.yaml");
export const FARGATE_TEMPLATE = join(REPO_ROOT, "deploy/cloudformation/ml-intern-fargate.yaml");
export const DOCKERFILE = join(REPO_ROOT, "Dockerfile");
export const DOCKERIGNORE = join(REPO_ROOT, ".dockerignore");
