/** The provider logic per dynamic resource type, keyed by the type name in `pulumi-nodejs:dynamic/m365:<type>`. */
export { DYNAMIC_LOGIC as LOGIC } from "../resources";
