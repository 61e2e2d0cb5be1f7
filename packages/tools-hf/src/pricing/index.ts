export {
  CPU_FLAVORS,
  estimateHardwareCost,
  isCpuFlavor,
  JOB_HARDWARE_PRICES_USD_PER_HOUR,
  parseTimeoutHours,
  SPACE_HARDWARE_PRICES_USD_PER_HOUR,
} from "./hardware.ts";
export {
  createHardwarePriceCatalog,
  type HardwareOffer,
  type HardwarePrice,
  type HardwarePriceCatalog,
  type HardwarePriceCatalogOptions,
  parseHubHardware,
} from "./hardware-catalog.ts";
