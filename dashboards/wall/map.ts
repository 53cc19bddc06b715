// The deck.gl map without a base map: dark background from the page, our layers only, no tiles fetched.
import { Deck, FlyToInterpolator, type DeckProps, type LayersList } from '@deck.gl/core';
import type { MapViewState } from './view.ts';

export interface WallMap {
  setLayers(layers: LayersList): void;
  zoom(): number;
  /** Re-fits the view (e.g. after the window changed size), unless the operator has moved the map. */
  fit(viewState: MapViewState): void;
  /** Flies to a view the operator asked for (a unit found by name); the map then counts as moved. */
  flyTo(viewState: MapViewState): void;
}

export interface WallMapOptions {
  initialViewState: MapViewState;
  getTooltip: NonNullable<DeckProps['getTooltip']>;
  /** Called as the operator zooms; label visibility depends on it. */
  onZoom: (zoom: number) => void;
  /** A click on the map: what was under the pointer, if anything. */
  onClick?: NonNullable<DeckProps['onClick']>;
}

export function createMap(parent: HTMLDivElement, options: WallMapOptions): WallMap {
  let zoom = options.initialViewState.zoom;
  let moved = false;
  const deck = new Deck({
    parent,
    initialViewState: options.initialViewState,
    // A north-up wall: rotation only disorients operators who share the screen.
    controller: { dragRotate: false, touchRotate: false, keyboard: true },
    pickingRadius: 5,
    getTooltip: options.getTooltip,
    ...(options.onClick ? { onClick: options.onClick } : {}),
    onViewStateChange: ({ viewState, interactionState }) => {
      if (interactionState.isDragging || interactionState.isPanning || interactionState.isZooming) moved = true;
      const next = (viewState as { zoom?: number }).zoom;
      if (typeof next === 'number' && next !== zoom) {
        zoom = next;
        options.onZoom(zoom);
      }
    },
    layers: [],
  });
  return {
    setLayers: (layers) => deck.setProps({ layers }),
    zoom: () => zoom,
    fit: (viewState) => {
      if (moved) return;
      zoom = viewState.zoom;
      deck.setProps({ initialViewState: viewState });
      options.onZoom(zoom);
    },
    flyTo: (viewState) => {
      moved = true;
      zoom = viewState.zoom;
      deck.setProps({
        initialViewState: { ...viewState, transitionDuration: 900, transitionInterpolator: new FlyToInterpolator() },
      });
      options.onZoom(zoom);
    },
  };
}
