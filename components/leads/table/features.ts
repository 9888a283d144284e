import {
  columnOrderingFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

/**
 * Only what the lead table uses. Sorting is manual (the server sorts); visibility and order come
 * from the URL; selection is the one piece of state the browser owns.
 */
export const leadTableFeatures = tableFeatures({ columnVisibilityFeature, columnOrderingFeature, rowSortingFeature, rowSelectionFeature });
export type LeadTableFeatures = typeof leadTableFeatures;
